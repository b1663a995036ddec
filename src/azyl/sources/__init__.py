"""azyl.sources"""
