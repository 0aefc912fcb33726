"""Fixed-width date parts for public URLs: /2019/10/17/, never /2019/10/7/."""


class FourDigitYearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigitConverter:
    regex = r"[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"
