struct probe_inquiry { int x; };
struct probe_vpd83 { int x; };
