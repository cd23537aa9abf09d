from mlsd_drill.cli import main

main()
