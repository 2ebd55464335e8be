a := `x
// distarch: ignore[AP-1] raw`
/* distarch: ignore[AP-2] block
 distarch: ignore[AP-3,] */
const s = "// distarch: ignore[AP-4]"; // distarch: ignore[AP-5] ok
