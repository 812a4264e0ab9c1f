#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Setup script for the legacy "imaging-tools" package."""
import os
import sys

from setuptools import find_packages, setup

here = os.path.abspath(os.path.dirname(__file__))
with open(os.path.join(here, "README.rst")) as f:
    long_description = f.read()

tests_require = ["pytest>=6", "mock"]

if sys.version_info < (3, 7):
    sys.exit("imaging-tools requires Python 3.7+")

setup(
    name='imaging-tools',
    version="1.4.2",
    description='Tools for "imaging" pipelines',  # a comment with install_requires=[
    long_description=long_description,
    packages=find_packages(exclude=["tests", "tests.*"]),
    python_requires='>=3.7, <4',
    install_requires=[
        'numpy>=1.19',
        "Pillow >= 8.0 ; platform_python_implementation == 'CPython'",
        '''lxml''',  # parsed with libxml2
        r"pycairo",
    ],
    extras_require={
        'docs': ['sphinx', 'sphinx-rtd-theme'],
        "test": tests_require,
        'opencv': [
            "opencv-python-headless",
        ],
    },
    tests_require=tests_require,
    entry_points={"console_scripts": ["imgtool=imaging_tools.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
    ],
)
