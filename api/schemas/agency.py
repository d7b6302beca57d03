"""Request bodies of agencies: registration, changes of registered data, sanctions."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from api.schemas.common import (Address, Body, Code, CreditCode, Day, Email, Int, Moment, Name, Password, Phone,
                                Reason, Region, Username, text)
from api.schemas.procurement import Level

IdNumber = text(18, min_length=18, pattern=r"^[0-9]{17}[0-9Xx]$")


class Person(Body):
    name: text(100) = Field(description="姓名")
    id_number: IdNumber = Field(description="居民身份证号码(平台只保存其密钥摘要,不保存号码)")
    phone: Phone | None = Field(None, description="联系电话(个人信息,不公开)")
    email: Email | None = Field(None, description="电子邮箱(个人信息,不公开)")


class Shareholder(Body):
    kind: Literal["person", "organisation"] = Field("person", description="person 自然人,organisation 单位")
    name: Name = Field(description="股东名称或姓名")
    id_number: IdNumber | None = Field(None, description="自然人股东的身份证号码")
    uscc: CreditCode | None = Field(None, description="单位股东的统一社会信用代码")
    share: Decimal = Field(gt=0, le=100, max_digits=6, decimal_places=3, description="持股比例(%)")


class Practitioner(Person):
    certificate_no: text(100) = Field(description="执业证书编号")


class Qualification(Body):
    category: text(100) = Field(description="资质类别")
    level: Level = Field(description="资质等级")
    certificate_no: text(100) = Field(description="证书编号")
    valid_until: Day = Field(description="有效期至")


class Service(Body):
    item_code: Code = Field(description="承接的中介服务事项编码")
    time_limit_days: Int = Field(ge=1, le=3650, description="承诺时限(工作日)")
    fee_reference: Reason = Field(description="收费标准或参考")


AgencyType = Literal["enterprise", "public_institution", "social_organisation", "partnership", "sole_trader"]


class Profile(Body):
    """中介机构入驻信息."""

    name: Name = Field(description="机构名称")
    agency_type: AgencyType = Field(description="机构类型")
    region: Region = Field(description="注册地行政区划代码")
    address: Address = Field(description="办公地址")
    phone: Phone = Field(description="机构联系电话")
    email: Email = Field(description="机构电子邮箱")
    legal_representative: Person = Field(description="法定代表人")
    shareholders: list[Shareholder] = Field(default_factory=list, max_length=50, description="股东")
    practitioners: list[Practitioner] = Field(default_factory=list, max_length=500, description="从业人员")
    qualifications: list[Qualification] = Field(default_factory=list, max_length=50, description="资质证书")
    services: list[Service] = Field(min_length=1, max_length=100, description="承接的服务事项")


class ProfileChanges(Body):
    """变更申请:只列出要变更的项,经运营机构审核后生效."""

    name: Name | None = Field(None, description="机构名称")
    agency_type: AgencyType | None = Field(None, description="机构类型")
    region: Region | None = Field(None, description="注册地行政区划代码")
    address: Address | None = Field(None, description="办公地址")
    phone: Phone | None = Field(None, description="机构联系电话")
    email: Email | None = Field(None, description="机构电子邮箱")
    legal_representative: Person | None = Field(None, description="法定代表人")
    shareholders: list[Shareholder] | None = Field(None, max_length=50, description="股东")
    practitioners: list[Practitioner] | None = Field(None, max_length=500, description="从业人员")
    qualifications: list[Qualification] | None = Field(None, max_length=50, description="资质证书")
    services: list[Service] | None = Field(None, min_length=1, max_length=100, description="承接的服务事项")


class Registration(Body):
    """中介机构自助注册:入驻申请和第一个账号."""

    uscc: CreditCode = Field(description="统一社会信用代码")
    profile: Profile = Field(description="入驻信息")
    username: Username = Field(description="登录用户名(3–64 位字母、数字、. _ - @)")
    display_name: text(100) = Field(description="账号使用人姓名")
    password: Password = Field(description="登录密码(8–128 位)")


class ResubmitBody(Body):
    profile: Profile = Field(description="修改后的入驻信息")


class ChangeBody(Body):
    changes: ProfileChanges = Field(description="变更的项")


class SuspendBody(Body):
    until: Moment = Field(description="暂停至")
    reason: Reason = Field(description="暂停理由")
    service_items: list[Code] | None = Field(None, max_length=100, description="只暂停这些服务事项;缺省暂停全部")


class ExitBody(Body):
    reason: Reason = Field(description="退出理由")

