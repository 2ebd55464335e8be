"""Job bodies (run in the pool's worker processes)."""


def execute(name: str, args: list) -> None:
    handler = globals().get(f"job_{name}")
    if handler is None:
        raise LookupError(name)
    handler(*args)


def job_resize(path: str, width: int) -> None:
    with open(path, "rb") as fh:
        fh.read()[:width]
