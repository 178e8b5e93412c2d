"""What the tests share: fixtures, helpers and test data of others."""
