import sys

from bench.viral.main import main

sys.exit(main())
