from zhenggai.cli import main

raise SystemExit(main())
