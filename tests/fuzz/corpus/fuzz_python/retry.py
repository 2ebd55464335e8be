import backoff
from tenacity import retry, stop_after_attempt


@retry(stop=stop_after_attempt(3), reraise=True)
def fetch(url):
    return httpx.get(url)


@backoff.on_exception(backoff.expo, httpx.HTTPError, max_tries=5)
async def call(url):
    return await client.get(url)


def connect(host):
    for attempt in range(5):
        try:
            return socket.create_connection(host)
        except OSError:
            time.sleep(1)
    raise ConnectionError(host)


def consume(queue):
    attempts = 0
    while attempts < 3:
        try:
            queue.get()
        except TimeoutError:
            attempts += 1
            continue


def serve(sock):
    while True:
        try:
            handle(sock.accept())
        except OSError:
            log.exception("accept failed")


def once(items):
    for item in range(10):
        try:
            process(item)
        except ValueError:
            raise
