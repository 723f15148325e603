/* The backend registry: the linker gathers WEDGE_BACKEND()s in one section. */
#include "wedge/backend.h"

extern const struct wedge_backend __start_wedge_backends[];
extern const struct wedge_backend __stop_wedge_backends[];

size_t wedge_backend_count(void)
{
	return (size_t)(__stop_wedge_backends - __start_wedge_backends);
}

const struct wedge_backend *wedge_backend_at(size_t i)
{
	return i < wedge_backend_count() ? &__start_wedge_backends[i] : 0;
}

static int same_name(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

const struct wedge_backend *wedge_backend_find(const char *name)
{
	for (size_t i = 0; i < wedge_backend_count(); i++)
		if (same_name(__start_wedge_backends[i].name, name))
			return &__start_wedge_backends[i];
	return 0;
}
