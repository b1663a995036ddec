"""azyl.incidents"""
