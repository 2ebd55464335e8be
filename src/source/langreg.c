#include "langreg.h"

#include <string.h>

#include "../base/path.h"
#include "../base/banned.h"

static const struct {
	const char *ext;
	enum lang lang;
} exts[] = {
	{ ".py", LANG_PYTHON },  { ".pyi", LANG_PYTHON },
	{ ".go", LANG_GO },
	{ ".js", LANG_JAVASCRIPT }, { ".mjs", LANG_JAVASCRIPT }, { ".cjs", LANG_JAVASCRIPT },
	{ ".jsx", LANG_JAVASCRIPT },
	{ ".ts", LANG_TYPESCRIPT }, { ".mts", LANG_TYPESCRIPT }, { ".cts", LANG_TYPESCRIPT },
	{ ".tsx", LANG_TSX },
	{ ".java", LANG_JAVA },
};

enum lang lang_from_path(const char *path)
{
	const char *ext = path_ext(path);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcmp(ext, exts[i].ext))
			return exts[i].lang;
	return LANG_NONE;
}

const char *lang_name(enum lang lang)
{
	switch (lang) {
	case LANG_PYTHON: return "python";
	case LANG_GO: return "go";
	case LANG_JAVASCRIPT: return "javascript";
	case LANG_TYPESCRIPT: return "typescript";
	case LANG_TSX: return "tsx";
	case LANG_JAVA: return "java";
	case LANG_NONE:
	case LANG__COUNT: break;
	}
	return "none";
}

static bool has_segment(const char *path, const char *seg)
{
	size_t n = strlen(seg);
	for (const char *p = path; (p = strstr(p, seg)); p += n)
		if ((p == path || p[-1] == '/') && p[n] == '/')
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

bool lang_is_test_path(const char *path)
{
	static const char *const folders[] = { "tests", "test", "__tests__", "testing", "testdata" };
	static const char *const suffixes[] = { "_test.py", "_test.go", ".test.js", ".test.ts",
						".test.tsx", ".spec.js", ".spec.ts", ".spec.tsx",
						".test.mjs", "Test.java", "Tests.java", "IT.java" };
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!strncmp(base, "test_", 5) && ends_with(base, ".py"))
		return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (ends_with(base, suffixes[i]))
			return true;
	for (size_t i = 0; i < sizeof(folders) / sizeof(folders[0]); i++)
		if (has_segment(path, folders[i]))
			return true;
	return false;
}

lang_extract_fn lang_extractor(enum lang lang)
{
	switch (lang) {
	case LANG_PYTHON: return python_extract;
	case LANG_GO: return go_extract;
	case LANG_JAVASCRIPT: case LANG_TYPESCRIPT: case LANG_TSX: return js_extract;
	case LANG_JAVA: return java_extract;
	default: return NULL;
	}
}
