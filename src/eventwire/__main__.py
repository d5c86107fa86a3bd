"""python -m eventwire"""

from .cli import main

main()
