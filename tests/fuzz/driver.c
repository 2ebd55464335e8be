/*
 * Replays fuzz inputs without libFuzzer: each argument is a file or a folder
 * (searched recursively), each fed once to LLVMFuzzerTestOneInput. CTest runs it over the
 * committed seed corpus so that every crash ever found stays fixed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(fp);
	if (!buf)
		return 1;
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* A file, or every file below a folder (fixture trees are nested); counts into *ran and *failed. */
static void run_path(const char *path, int *ran, int *failed)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		(*failed)++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		*failed += run_file(path);
		(*ran)++;
		return;
	}
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		run_path(sub, ran, failed);
	}
	if (d)
		closedir(d);
}

/*
 * Arguments: files or folders. A crash ends the run (that is the failure
 * CTest sees); an unreadable input counts as failed.
 */
int main(int argc, char **argv)
{
	int ran = 0, failed = 0;
	for (int i = 1; i < argc; i++)
		run_path(argv[i], &ran, &failed);
	printf("%d passed, %d failed\n", ran - failed, failed);
	return failed || !ran;
}
