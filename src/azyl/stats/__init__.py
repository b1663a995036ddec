"""azyl.stats"""
