/*
 * CUnit runner for src/core. Exit status 1 on any failure or registry error.
 */
#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>

/* Each test_*.c registers its own suites. */
int kbs_register_csv_suite(void);
int kbs_register_date_suite(void);
int kbs_register_common_tests(void);
int kbs_register_profile_tests(void);
int kbs_register_requirement_tests(void);
int kbs_register_coverage_tests(void);
int kbs_register_roundtrip_tests(void);
int kbs_register_accum_tests(void);
int kbs_register_gaps_tests(void);
int kbs_register_render_tests(void);
int kbs_register_forms_tests(void);

int
main(void)
{
	int (*registrars[])(void) = {
		kbs_register_csv_suite,
		kbs_register_date_suite,
		kbs_register_common_tests,
		kbs_register_profile_tests,
		kbs_register_requirement_tests,
		kbs_register_coverage_tests,
		kbs_register_roundtrip_tests,
		kbs_register_accum_tests,
		kbs_register_gaps_tests,
		kbs_register_render_tests,
		kbs_register_forms_tests,
	};
	unsigned failures;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
	{
		fprintf(stderr, "cannot initialise the CUnit registry: %s\n", CU_get_error_msg());
		return 1;
	}
	for (i = 0; i < sizeof(registrars) / sizeof(registrars[0]); i++)
	{
		if (registrars[i]() != 0 || CU_get_error() != CUE_SUCCESS)
		{
			fprintf(stderr, "cannot register tests: %s\n", CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
	{
		fprintf(stderr, "cannot run tests: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	printf("\nsummary: %u suites, %u tests run, %u tests failed, %u asserts, %u assert failures\n",
		   CU_get_number_of_suites_run(), CU_get_number_of_tests_run(),
		   CU_get_number_of_tests_failed(), CU_get_number_of_asserts(),
		   CU_get_number_of_failures());
	if (CU_get_number_of_suites_failed() > 0)
		failures++;
	CU_cleanup_registry();
	return failures > 0 ? 1 : 0;
}
