@Retryable(maxAttempts = 
class { void f( { try { for (;;) { switch (x) { case