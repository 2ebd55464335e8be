String s = """
  // distarch: ignore[AP-1] no
  """; // distarch: ignore[AP-6]
char c = '"'; // distarch: ignore[ AP-4 , ] bad
