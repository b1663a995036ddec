"""azyl.web"""
