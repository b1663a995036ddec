"""screening"""
from fastapi import APIRouter
router = APIRouter()
