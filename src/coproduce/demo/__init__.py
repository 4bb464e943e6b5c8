"""The demo network (see loader.py): a Django app so that `coproduce demo` is one of its commands."""
