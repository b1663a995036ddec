"""atlas"""
from fastapi import APIRouter
router = APIRouter()
