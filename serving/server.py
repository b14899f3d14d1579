"""`python -m serving.server <rasa arguments>`: the Rasa command line with serving.patches applied first."""
import sys

from serving.patches import apply

if __name__ == "__main__":
    apply()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
