"""What the computer does for the pipeline: atomic writes that leave no half-written file, the
plain lines for faults of the machine, and the stage lines on a terminal."""
