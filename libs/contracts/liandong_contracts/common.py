"""Value types several producers share: attachments and transfer materials."""

from pydantic import AnyUrl, BaseModel, ConfigDict, Field


class Attachment(BaseModel):
    """A document held elsewhere, referred to by URI; its bytes never ride on the bus."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    title: str = Field(min_length=1, max_length=200)
    uri: AnyUrl = Field(examples=["https://files.example.gov.cn/case/123/letter.pdf"])
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class TransferMaterials(BaseModel):
    """The written material on the basic facts that a transfer carries (REF-7)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    transfer_letter: Attachment = Field(description="移送函")
    case_source: tuple[Attachment, ...] = Field(
        min_length=1, description="Inspection record, complaint or report material"
    )
    preliminary_evidence: tuple[Attachment, ...] = Field(min_length=1)
