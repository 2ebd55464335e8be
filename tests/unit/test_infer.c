/*
 * init's inference (src/topo/infer*.c, compose.c, k8s.c, procfile.c) and
 * the multi-document YAML reader it needs (ytree_parse_stream).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/ytree.h"
#include "topo/infer.h"
#include "topo/topology.h"

static const struct inferred_component *comp(struct inference *inf, const char *name)
{
	const struct inferred_component *c = inference_find(inf, name);
	assert_non_null(c);
	return c;
}

static void test_stream(void **state)
{
	(void)state;
	static const char text[] = "a: 1\n---\n---\nb: &x 2\nc: *x\n...\n--- [3]\n";
	struct arena a = ARENA_INIT;
	struct ynode **docs;
	size_t n;
	assert_int_equal(ytree_parse_stream(&a, "s.yaml", text, strlen(text), &docs, &n), 0);
	assert_int_equal(n, 3); /* the empty document adds nothing */
	assert_string_equal(ynode_str(ynode_get(docs[0], "a")), "1");
	assert_int_equal(docs[1]->line, 4);
	assert_int_equal(docs[2]->kind, YNODE_SEQ);
	/* An anchor does not reach into the next document. */
	static const char cross[] = "a: &x 1\n---\nb: *x\n";
	assert_int_equal(ytree_parse_stream(&a, "s.yaml", cross, strlen(cross), &docs, &n), -1);
	assert_int_equal(n, 0);
	/* ytree_parse still wants one document. */
	struct ynode *root;
	assert_int_equal(ytree_parse(&a, "s.yaml", text, strlen(text), &root), -1);
	arena_release(&a);
}

static void test_compose_k8s_procfile(void **state)
{
	(void)state;
	static const char compose[] =
		"services:\n"
		"  api:\n    build: ./services/api\n    deploy: {replicas: 2}\n"
		"  worker:\n    build: {context: worker}\n    scale: ${N:-3}\n"
		"  cache: {image: 'redis:7'}\n";
	static const char k8s[] =
		"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: w}\n"
		"spec: {scaleTargetRef: {kind: Deployment, name: worker}, minReplicas: 2, maxReplicas: 8}\n"
		"---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
		"---\nkind: Deployment\nmetadata: {name: not-k8s-without-apiVersion}\n";
	static const char procfile[] = "# processes\nweb: gunicorn app:app\nclock: python clock.py\n";
	struct inference inf;
	inference_init(&inf);
	assert_int_equal(infer_compose(&inf, "deploy/compose.yaml", compose, strlen(compose)), 0);
	assert_int_equal(infer_k8s(&inf, "k8s/all.yaml", k8s, strlen(k8s)), 0);
	assert_int_equal(infer_procfile(&inf, "Procfile", procfile, strlen(procfile)), 0);
	struct code_links cl;
	code_links_init(&cl);
	inference_finish(&inf, &cl);
	assert_string_equal(comp(&inf, "api")->count, "2 (fixed)");
	assert_string_equal(comp(&inf, "api")->paths.items[0], "deploy/services/api/**");
	assert_string_equal(comp(&inf, "worker")->count, "2-8 (dynamic)");
	assert_non_null(strstr(comp(&inf, "worker")->count_from, "HorizontalPodAutoscaler"));
	assert_string_equal(comp(&inf, "worker")->paths.items[0], "deploy/worker/**");
	assert_string_equal(comp(&inf, "cache")->count, "1 (fixed)");
	assert_string_equal(comp(&inf, "cache")->role, "image redis:7");
	assert_string_equal(comp(&inf, "db")->count, "1 (fixed)");
	assert_string_equal(comp(&inf, "web")->count, "1 (assumed)");
	assert_null(inference_find(&inf, "not-k8s-without-apiVersion"));

	struct strbuf sb = STRBUF_INIT;
	inference_write(&inf, "shop", &sb);
	struct topology t;
	topology_init(&t);
	assert_int_equal(topology_load_buffer(&t, "written.yaml", sb.buf, sb.len), 0);
	assert_int_equal(t.components.len, inf.comps.len);
	assert_true(strstr(sb.buf, "count: 2 (fixed)  # deploy/compose.yaml:4 deploy.replicas: 2") != NULL);
	topology_release(&t);
	strbuf_release(&sb);
	code_links_release(&cl);
	inference_release(&inf);
}

static void test_bad_manifests(void **state)
{
	(void)state;
	struct inference inf;
	inference_init(&inf);
	assert_int_equal(infer_compose(&inf, "c.yaml", "services: [a]\n", 14), -1);
	assert_int_equal(infer_compose(&inf, "c.yaml", "services:\n  a: 3\n", 17), -1);
	assert_int_equal(infer_procfile(&inf, "Procfile", "web gunicorn\n", 13), -1);
	assert_int_equal(infer_procfile(&inf, "Procfile", ": x\n", 4), -1);
	assert_int_equal(infer_k8s(&inf, "k.yaml", "a: [\n", 5), -1);
	assert_int_equal(inf.comps.len, 0);
	inference_release(&inf);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(infer_is_compose("docker-compose.yml"));
	assert_true(infer_is_compose("deploy/compose.prod.yaml"));
	assert_false(infer_is_compose("composer.json"));
	assert_true(infer_is_procfile("Procfile"));
	assert_true(infer_is_procfile("app/Procfile.dev"));
	assert_false(infer_is_procfile("Procfiles"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_compose_k8s_procfile),
		cmocka_unit_test(test_bad_manifests),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
