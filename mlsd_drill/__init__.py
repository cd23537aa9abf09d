"""mlsd-drill: practise machine-learning system design interviews in the terminal."""

__version__ = "0.1.0"
