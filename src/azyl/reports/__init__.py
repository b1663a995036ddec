"""azyl.reports"""
