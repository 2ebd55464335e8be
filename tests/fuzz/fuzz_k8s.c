/*
 * Arbitrary bytes to infer_k8s (src/topo/k8s.c): never a crash, hang or
 * leak, and whatever it infers, init writes a topology that loads.
 */
#include "infer_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_infer(infer_k8s, data, size);
	return 0;
}
