import sys

from bounceguard.cli.main import main

sys.exit(main())
