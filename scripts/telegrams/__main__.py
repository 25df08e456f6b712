from telegrams.cli import main

raise SystemExit(main())
