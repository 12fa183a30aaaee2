# The two commands of the README. The scripts in .ci/ install what they need first.
.PHONY: run test

run:
	bash .ci/serve.sh

test:
	bash .ci/test.sh
