from aesthetix_tui.cli import main

main()
