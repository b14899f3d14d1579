"""`python -m serving.server <rasa arguments>`: the Rasa command line, with serving/lightweight.py installed before
Rasa is imported and serving/patches.py applied."""
import sys

if __name__ == "__main__":
    from serving import lightweight

    lightweight.install()
    from rasa.__main__ import main

    from serving.patches import apply

    apply()
    sys.argv[0] = "rasa"
    main()
