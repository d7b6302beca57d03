"""The demo market's cast: departments, catalogue items, agencies and owners of a
prefecture-level city (长沙, region 430100). Names are invented but shaped like
real ones; nothing here is a real registration.
"""

from __future__ import annotations

from dataclasses import dataclass

REGION = "430100"  # 长沙市
DISTRICTS = {  # 行政区划代码: used for project codes and ID numbers
    "芙蓉区": "430102", "天心区": "430103", "岳麓区": "430104", "开福区": "430105",
    "雨花区": "430111", "望城区": "430112", "长沙县": "430121", "浏阳市": "430181", "宁乡市": "430182",
}  # fmt: skip


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    units: tuple[str, ...] = ()  # affiliated 事业单位 (红顶中介 register, brief §9.5)


DEPARTMENTS = (
    DepartmentSpec("HBJ", "长沙市生态环境局", ("长沙市环境保护科学研究院",)),
    DepartmentSpec("ZRJ", "长沙市自然资源和规划局", ("长沙市勘测设计研究院",)),
    DepartmentSpec("ZJJ", "长沙市住房和城乡建设局", ("长沙市建设工程质量安全监督站",)),
    DepartmentSpec("SLJ", "长沙市水利局", ("长沙市水利水电勘测设计院",)),
    DepartmentSpec("YJJ", "长沙市应急管理局"),
    DepartmentSpec("JTJ", "长沙市交通运输局"),
    DepartmentSpec("FGW", "长沙市发展和改革委员会"),
    DepartmentSpec("QXJ", "长沙市气象局"),
)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    approval_matter: str  # 服务的审批事项
    department: str  # DepartmentSpec.code
    requirement: dict
    fee: tuple[int, int]  # range of the 最高限价, 元
    days: tuple[int, int]  # range of the service time limit, working days
    self_preparable: bool = False


def _req(*quals: tuple[str, str], mode: str = "all") -> dict:
    return {"mode": mode, "qualifications": [{"category": c, "min_level": lvl} for c, lvl in quals]}


ITEMS = (
    ItemSpec("HP-01", "环境影响评价报告书(表)编制", "建设项目环境影响评价文件审批", "HBJ",
             _req(("环境影响评价", "不分级")), (60_000, 280_000), (15, 20)),
    ItemSpec("AQ-01", "建设项目安全预评价", "危险化学品建设项目安全条件审查", "YJJ",
             _req(("安全评价", "不分级")), (40_000, 150_000), (12, 18)),
    ItemSpec("CH-01", "建设工程规划放线及竣工测量", "建设工程规划许可", "ZRJ",
             _req(("测绘", "乙级")), (20_000, 90_000), (8, 12)),
    ItemSpec("ST-01", "水土保持方案编制", "生产建设项目水土保持方案审批", "SLJ",
             _req(), (30_000, 120_000), (12, 18), self_preparable=True),
    ItemSpec("DZ-01", "地质灾害危险性评估", "建设用地地质灾害危险性评估备案", "ZRJ",
             _req(("地质灾害防治", "乙级")), (40_000, 160_000), (12, 18)),
    ItemSpec("JN-01", "固定资产投资项目节能评估", "固定资产投资项目节能审查", "FGW",
             _req(), (20_000, 80_000), (10, 15), self_preparable=True),
    ItemSpec("SG-01", "建设工程施工图设计文件审查", "建筑工程施工许可", "ZJJ",
             _req(("施工图审查", "乙级")), (50_000, 300_000), (8, 12)),
    ItemSpec("FL-01", "防雷装置检测", "防雷装置竣工验收", "QXJ",
             _req(("雷电防护装置检测", "乙级")), (8_000, 40_000), (5, 8)),
    ItemSpec("FC-01", "房产测绘", "不动产首次登记", "ZRJ",
             _req(("测绘", "乙级")), (15_000, 70_000), (6, 10)),
    ItemSpec("JT-01", "建设项目交通影响评价", "建设工程规划许可(交通影响评价审查)", "JTJ",
             _req(("工程咨询", "乙级"), ("城乡规划编制", "乙级"), mode="any"), (50_000, 200_000), (12, 18)),
    ItemSpec("HH-01", "洪水影响评价报告编制", "洪水影响评价类审批", "SLJ",
             _req(), (30_000, 120_000), (12, 18)),
    ItemSpec("SZ-01", "建设项目水资源论证", "取水许可", "SLJ",
             _req(("水文水资源调查评价", "乙级")), (30_000, 120_000), (12, 18)),
)  # fmt: skip


@dataclass(frozen=True)
class AgencySpec:
    name: str
    district: str
    qualifications: tuple[tuple[str, str], ...]  # (category, level)
    items: tuple[str, ...]
    kind: str = "enterprise"
    fate: str = "admitted"  # see FATES


# What happens to an agency's registration in the demo.
FATES = ("admitted", "pending", "returned", "resubmitted", "change_pending", "suspended", "expelled", "exited")

AGENCIES = (
    AgencySpec("湖南华科环境咨询有限公司", "岳麓区", (("环境影响评价", "不分级"),), ("HP-01", "ST-01", "JN-01")),
    AgencySpec("湖南绿源环保科技有限公司", "雨花区", (("环境影响评价", "不分级"),), ("HP-01", "ST-01"), fate="suspended"),
    AgencySpec("长沙中欣环境工程有限公司", "开福区", (("环境影响评价", "不分级"),), ("HP-01",), fate="resubmitted"),
    AgencySpec("湖南湘环生态环境研究院有限公司", "岳麓区",
               (("环境影响评价", "不分级"), ("水文水资源调查评价", "乙级")), ("HP-01", "HH-01", "SZ-01")),
    AgencySpec("湖南天泽环境科技有限公司", "天心区", (("环境影响评价", "不分级"),), ("HP-01", "ST-01"), fate="expelled"),
    AgencySpec("湖南碧水蓝天环保技术有限公司", "长沙县", (("环境影响评价", "不分级"),), ("HP-01", "JN-01")),
    AgencySpec("湖南安和安全技术咨询有限公司", "芙蓉区", (("安全评价", "不分级"),), ("AQ-01",)),
    AgencySpec("湖南中安安全评价有限公司", "雨花区", (("安全评价", "不分级"),), ("AQ-01",)),
    AgencySpec("长沙安诺安全技术服务有限公司", "望城区", (("安全评价", "不分级"),), ("AQ-01",)),
    AgencySpec("湖南致安安全科技有限公司", "开福区", (("安全评价", "不分级"),), ("AQ-01",)),
    AgencySpec("湖南省勘测设计院有限公司", "岳麓区", (("测绘", "甲级"), ("地质灾害防治", "甲级")),
               ("CH-01", "FC-01", "DZ-01")),
    AgencySpec("长沙市规划勘测设计研究院", "天心区", (("测绘", "甲级"), ("城乡规划编制", "甲级")),
               ("CH-01", "FC-01", "JT-01"), kind="public_institution"),
    AgencySpec("湖南湘测测绘科技有限公司", "雨花区", (("测绘", "乙级"),), ("CH-01", "FC-01"), fate="change_pending"),
    AgencySpec("长沙星图测绘有限公司", "开福区", (("测绘", "乙级"),), ("FC-01", "CH-01")),
    AgencySpec("湖南华勘地理信息有限公司", "岳麓区", (("测绘", "乙级"),), ("CH-01", "FC-01")),
    AgencySpec("湖南地矿工程勘察院有限公司", "芙蓉区", (("地质灾害防治", "甲级"),), ("DZ-01",)),
    AgencySpec("湖南中地岩土工程有限公司", "长沙县", (("地质灾害防治", "乙级"),), ("DZ-01",)),
    AgencySpec("湖南楚源地质环境咨询有限公司", "宁乡市", (("地质灾害防治", "乙级"),), ("DZ-01", "ST-01")),
    AgencySpec("湖南水润水利水电咨询有限公司", "天心区", (("水文水资源调查评价", "乙级"),), ("SZ-01", "ST-01", "HH-01")),
    AgencySpec("长沙江河水利规划设计有限公司", "开福区", (("水文水资源调查评价", "甲级"),), ("SZ-01", "HH-01", "ST-01")),
    AgencySpec("湖南澜泽水资源科技有限公司", "望城区", (("水文水资源调查评价", "乙级"),), ("SZ-01", "HH-01")),
    AgencySpec("湖南节能评价技术研究中心有限公司", "岳麓区", (("工程咨询", "甲级"),), ("JN-01", "JT-01")),
    AgencySpec("湖南中咨工程咨询有限公司", "芙蓉区", (("工程咨询", "乙级"),), ("JN-01", "JT-01")),
    AgencySpec("长沙恒远工程咨询有限公司", "雨花区", (("工程咨询", "乙级"),), ("JN-01", "JT-01"), fate="exited"),
    AgencySpec("湖南城市交通规划设计研究院有限公司", "天心区", (("城乡规划编制", "乙级"),), ("JT-01",)),
    AgencySpec("湖南建科施工图审查有限公司", "岳麓区", (("施工图审查", "甲级"),), ("SG-01",)),
    AgencySpec("长沙市建筑设计施工图审查中心有限公司", "开福区", (("施工图审查", "乙级"),), ("SG-01",)),
    AgencySpec("湖南正方施工图审查有限公司", "雨花区", (("施工图审查", "甲级"),), ("SG-01",)),
    AgencySpec("湖南鼎诚工程技术审查有限公司", "长沙县", (("施工图审查", "乙级"),), ("SG-01",)),
    AgencySpec("湖南雷盾防雷检测有限公司", "望城区", (("雷电防护装置检测", "乙级"),), ("FL-01",)),
    AgencySpec("长沙天瑞防雷科技有限公司", "芙蓉区", (("雷电防护装置检测", "甲级"),), ("FL-01",)),
    AgencySpec("湖南中气防雷技术有限公司", "天心区", (("雷电防护装置检测", "乙级"),), ("FL-01",)),
    AgencySpec("湖南避雷安防检测有限公司", "浏阳市", (("雷电防护装置检测", "乙级"),), ("FL-01",)),
    AgencySpec("湖南新城测绘信息有限公司", "浏阳市", (("测绘", "乙级"),), ("CH-01",), fate="pending"),
    AgencySpec("湖南金石安全科技有限公司", "宁乡市", (("安全评价", "不分级"),), ("AQ-01",), fate="returned"),
    AgencySpec("湖南清源环境技术有限公司", "长沙县", (("环境影响评价", "不分级"),), ("HP-01",), fate="pending"),
    AgencySpec("湖南恒安安全评价有限公司", "岳麓区", (("安全评价", "不分级"),), ("AQ-01",)),
    AgencySpec("湖南科信防雷检测有限公司", "雨花区", (("雷电防护装置检测", "乙级"),), ("FL-01",)),
    AgencySpec("湖南华城施工图审查咨询有限公司", "芙蓉区", (("施工图审查", "乙级"),), ("SG-01",)),
    AgencySpec("湖南楚天环境科技有限公司", "开福区", (("环境影响评价", "不分级"),), ("HP-01", "ST-01", "HH-01")),
)  # fmt: skip


@dataclass(frozen=True)
class OwnerSpec:
    name: str
    unit_type: str  # government | state_owned | private
    district: str
    projects: tuple[str, ...]  # project name stems; see PROJECT_PLACES
    delegates: int = 1


OWNERS = (
    OwnerSpec("长沙市城市建设投资开发集团有限公司", "state_owned", "天心区",
              ("{place}片区棚户区改造项目", "{place}综合管廊工程", "{place}路网提质改造工程"), 2),
    OwnerSpec("长沙市轨道交通集团有限公司", "state_owned", "芙蓉区",
              ("{place}轨道交通站点综合开发项目", "{place}车辆段上盖开发项目")),
    OwnerSpec("长沙水业集团有限公司", "state_owned", "开福区",
              ("{place}污水处理厂扩建工程", "{place}供水管网改造工程", "{place}再生水利用工程")),
    OwnerSpec("湖南湘江新区管理委员会", "government", "岳麓区",
              ("{place}科创园基础设施项目", "{place}滨江景观带建设工程"), 2),
    OwnerSpec("长沙经济技术开发区管理委员会", "government", "长沙县",
              ("{place}智能制造产业园标准厂房项目", "{place}产业园配套道路工程")),
    OwnerSpec("长沙市教育局", "government", "芙蓉区",
              ("{place}中学新建工程", "{place}小学改扩建工程")),
    OwnerSpec("长沙市卫生健康委员会", "government", "开福区",
              ("{place}社区卫生服务中心新建工程", "{place}医院门诊综合楼项目")),
    OwnerSpec("湖南省高速公路集团有限公司", "state_owned", "雨花区",
              ("{place}互通立交改扩建工程", "{place}服务区提质改造项目")),
    OwnerSpec("三一重工股份有限公司", "private", "长沙县",
              ("{place}工程机械智能工厂项目", "{place}研发中心建设项目")),
    OwnerSpec("湖南步步高置业有限责任公司", "private", "雨花区",
              ("{place}商业综合体项目", "{place}住宅小区二期工程")),
    OwnerSpec("长沙万家丽房地产开发有限公司", "private", "芙蓉区",
              ("{place}商住楼项目", "{place}城市更新项目")),
    OwnerSpec("湖南远大住宅工业集团股份有限公司", "private", "岳麓区",
              ("{place}装配式建筑生产基地项目", "{place}仓储物流中心项目")),
)  # fmt: skip

PROJECT_PLACES = (
    "岳麓区梅溪湖", "岳麓区洋湖", "雨花区黎托", "开福区月湖", "天心区暮云", "芙蓉区马坡岭",
    "望城区高塘岭", "长沙县星沙", "长沙县黄花", "浏阳市集里", "宁乡市金洲", "湘江新区坪浦",
    "开福区捞刀河", "雨花区同升", "望城区铜官", "浏阳市永安",
)  # fmt: skip

SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗郑梁谢宋唐彭曾邓肖"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞",
         "平", "刚", "建华", "志强", "海燕", "晓东", "丽华", "国庆", "文斌", "湘云", "卫东", "春林")  # fmt: skip

