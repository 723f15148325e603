/* C with inline assembly, compiled plain and through the afterburner's
 * `as` (gcc -B): the audit and compare must accept what comes out. */
static inline void irq_disable(void) { asm volatile("cli" ::: "memory"); }
static inline void irq_enable(void) { asm volatile("sti" ::: "memory"); }
static inline unsigned long read_cr3(void)
{
	unsigned long v;
	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void outb(unsigned char v, unsigned short port)
{
	asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}
static inline unsigned long long rdmsr(unsigned int msr)
{
	unsigned int lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((unsigned long long)hi << 32) | lo;
}

int table[64];
extern void external(int);

unsigned long work(int n)
{
	unsigned long s = 0;
	for (int i = 0; i < n; i++) {
		irq_disable();
		s += read_cr3() + (unsigned long)table[i & 63];
		outb((unsigned char)i, 0x80);
		irq_enable();
		if (s > 1000)
			external(i);
	}
	return s + rdmsr(0x10);
}

int pick(int x)
{
	switch (x) {
	case 0: return 3;
	case 1: return 7;
	case 2: return (int)work(3);
	case 3: return 11;
	default: return 0;
	}
}
