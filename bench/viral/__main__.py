import sys

from bench.viral.run import main

sys.exit(main())
