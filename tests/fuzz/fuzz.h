#ifndef TIPGW_FUZZ_H
#define TIPGW_FUZZ_H

struct understand;

const char	*fuzz_top(void);
void		 fuzz_understand_init(struct understand *);

#endif
