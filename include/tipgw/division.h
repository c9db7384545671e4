/*
 * The national statistical division codes (统计用区划代码) as CSV:
 * areas.csv (counties: 县, 区, county-level 市), streets.csv (townships)
 * and villages.csv, the china-division format.
 */
#ifndef TIPGW_DIVISION_H
#define TIPGW_DIVISION_H

#include <stddef.h>

struct division_county {
	char	 code[7];		/* 6 digits */
	char	*name;
	int	 line;
};

struct division_township {
	char	 code[10];		/* 9 digits */
	char	 county_code[7];
	char	 city_code[5];
	char	 province_code[3];
	char	*name;
	int	 line;
};

struct division_village {
	char	 code[13];		/* 12 digits */
	char	 township_code[10];
	char	*name;
	int	 line;
};

struct division {
	struct division_county		*counties;
	size_t				 ncounties;
	struct division_township	*townships;
	size_t				 ntownships;
	struct division_village		*villages;
	size_t				 nvillages;
};

int	division_parse_streets(struct division *, const char *file,
	    const char *data, size_t len, const char *county, char **cause);
int	division_parse_areas(struct division *, const char *file,
	    const char *data, size_t len, const char *county, char **cause);
int	division_parse_villages(struct division *, const char *file,
	    const char *data, size_t len, const char *county, char **cause);
int	division_check(const struct division *, const char *streets_file,
	    const char *villages_file, char **cause);
void	division_free(struct division *);

#endif
