const t = `a ${b} // distarch: ignore[AP-1] no
`; // distarch: ignore[AP-3] yes
const r = /\/\/ distarch:/; /* distarch: ignore[AP-2,AP-5] why */
