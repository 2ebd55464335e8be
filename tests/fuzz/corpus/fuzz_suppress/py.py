def f():
    # distarch: ignore[AP-1] reason
    s = """
# distarch: ignore[AP-2] no
"""
    x()  # distarch: ignore[AP-1,AP-5]
    # distarch: ignore AP-1
