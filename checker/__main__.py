from checker.commandline.launch import main

main()
