#!/usr/bin/env python3
"""Write the `stress` calibration set: eval/calibration's rollout engine with this directory's
content (data.py: another person, her projects, stories and queries). Same command line as
eval/calibration/generate.py:

    python3 eval/stress/generate.py --out DIR [--sessions N] [--seed S] [--check]
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402  (this set's content; the engine's own `import data` gets it from sys.modules)

spec = importlib.util.spec_from_file_location("calibration_engine", os.path.join(HERE, "..", "calibration", "generate.py"))
engine = importlib.util.module_from_spec(spec)
spec.loader.exec_module(engine)
assert engine.data is data, "the engine must render this set's content"

engine.WEIGHTS = data.WEIGHTS
engine.DESCRIPTION = data.DESCRIPTION

if __name__ == "__main__":
    sys.exit(engine.main())
