"""python -m dashboard: start the dashboard (see dashboard/launch.py)."""

from dashboard.launch import main

raise SystemExit(main())
