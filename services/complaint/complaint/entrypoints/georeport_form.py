"""The GeoReport v2 `POST requests.json` form, and the complaint it registers."""

from pydantic import ConfigDict, Field, HttpUrl, model_validator

from complaint.domain.events import Material
from complaint.domain.personal import Complainant, redact
from complaint.service import commands as c
from liandong_runtime.http_inputs import Body
from liandong_runtime.refdata import ReferenceData


def _cjk(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


class RequestIn(Body):
    """application/x-www-form-urlencoded, UTF-8; unknown keys (attribute[...]) ignored."""

    model_config = ConfigDict(extra="ignore")

    api_key: str | None = Field(default=None, max_length=4096, description=(
        "the client's bearer token (JWT), GeoReport's place for it; or the Authorization header"))

    jurisdiction_id: str = Field(min_length=1, max_length=64)
    service_code: str = Field(min_length=1, max_length=64)
    description: str = Field(min_length=1, max_length=2000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address_string: str | None = Field(default=None, max_length=300)
    address_id: str | None = Field(default=None, max_length=64)
    first_name: str | None = Field(default=None, max_length=50)
    last_name: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=32, pattern=r"^[0-9 +()\-]{3,32}$")
    media_url: HttpUrl | None = None

    @model_validator(mode="after")
    def _located(self) -> "RequestIn":
        if (self.lat is None or self.long is None) and not (self.address_string
                                                            or self.address_id):
            raise ValueError("a location is required: lat and long, address_string or "
                             "address_id")
        return self

    def complainant(self) -> Complainant:
        first, last = self.first_name or "", self.last_name or ""
        name = last + first if _cjk(first + last) else f"{first} {last}".strip()
        return Complainant(name=name or None, phone=self.phone or None,
                           email=self.email or None, location=self._location())

    def _location(self) -> str | None:
        point = f"{self.lat},{self.long}" if self.lat is not None and self.long is not None \
            else None
        parts = (self.address_string, point, self.address_id and f"address_id {self.address_id}")
        return "; ".join(p for p in parts if p) or None


def to_command(form: RequestIn, refdata: ReferenceData,
               client: str | None = None) -> c.ReceiveComplaint:
    """Channel online, received by the jurisdiction, about its area if it is a township;
    `client` is the intake client (person) the token names."""
    directory, person = refdata.directory, form.complainant()
    org = directory.get(form.jurisdiction_id) if form.jurisdiction_id in directory else None
    media = (Material("media", str(form.media_url)),) if form.media_url else ()
    return c.ReceiveComplaint(
        c.Acting(form.jurisdiction_id, client), "online", redact(form.description, person)[:2000],
        person, matter_code=form.service_code,
        locality_id=org.id if org is not None and org.kind.is_township else None,
        materials=media, origin="open311")
