# The native half of the annalist package (crates/annalist-py). Use the
# functions and classes of `annalist` itself; these may change.
from typing import List, Optional

__version__: str
SOURCE: str

class NativePipeline:
    def __init__(self, *, coder: str = "rules", max_document_mb: int = 8) -> None: ...
    def code_line(
        self, line: str, index: int, warnings: List[str], source: Optional[str] = None
    ) -> str: ...
    def code_file(self, name: str, data: bytes) -> List[str]: ...
