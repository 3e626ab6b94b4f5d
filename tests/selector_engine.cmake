# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
# The selector driven by the engine on the simulated array: link salua_sim
# and enable the sim half of tests/lib/engine_harness.h.
if(TARGET test_selector_engine AND TARGET salua_sim)
  target_link_libraries(test_selector_engine PRIVATE salua_sim)
endif()
