"""The benchmark harness: data generator, floor endpoint, runner (`make bench`). Not part of the test run."""
