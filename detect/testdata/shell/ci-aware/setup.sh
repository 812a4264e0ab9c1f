#!/bin/sh
# CRLF script
python3 -m venv .venv311 &&\
  .venv311/bin/python -m pip install -U pip
if [ -f x ]; then
  echo "broken
fi
