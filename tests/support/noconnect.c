/*
 * LD_PRELOAD shim for tests/e2e/t0710-no-network.sh: distarch never opens a
 * network connection. Any attempt to make an Internet socket, connect one,
 * or resolve a host name prints what was tried on stderr and aborts, so the
 * test sees a signal instead of a quiet timeout. Local sockets (AF_UNIX,
 * AF_NETLINK) are let through. Calls glibc makes to itself internally do
 * not pass through here; the test also runs under strace when it can.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static _Noreturn void refuse(const char *what)
{
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "noconnect: network access attempted: %s\n", what);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	abort();
}

static int inet(int family)
{
	return family == AF_INET || family == AF_INET6;
}

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	if (inet(domain))
		refuse(domain == AF_INET ? "socket(AF_INET)" : "socket(AF_INET6)");
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "socket");
	return real(domain, type, protocol);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);
	if (addr && inet(addr->sa_family))
		refuse("connect() to an Internet address");
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "connect");
	return real(fd, addr, len);
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	(void)service, (void)hints, (void)res;
	refuse(node ? node : "getaddrinfo()");
}

struct hostent *gethostbyname(const char *name)
{
	refuse(name ? name : "gethostbyname()");
}
