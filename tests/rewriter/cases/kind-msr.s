# expect: rdmsr wrmsr cpuid rdtscp rdpmc xsetbv
	.text
	rdmsr
	wrmsr
	cpuid
	rdtscp
	rdpmc
	xsetbv
