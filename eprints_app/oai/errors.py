"""OAI-PMH error conditions (protocol §3.6): an exception per failed request, with its code."""

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"

# With these the <request> element must not echo the arguments (protocol §3.2).
UNECHOED = {BAD_VERB, BAD_ARGUMENT}


class OAIError(Exception):
    """A request the protocol answers with an <error code="..."> element."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
