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

lang_extract_fn lang_extractor(enum lang lang)
{
	switch (lang) {
	case LANG_PYTHON: return python_extract;
	default: return NULL;
	}
}
