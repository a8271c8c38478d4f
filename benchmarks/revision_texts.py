"""The prose of the revision benchmark's stories (see :mod:`benchmarks.revision_stories`).

Invented places, people and events, written the way wire and local newsrooms
write: datelines, attributed quotes, short one-line paragraphs.
"""


# -- a bridge collapse: 5 paragraphs, then 16 under a new headline and byline, then 39 --------

BRIDGE_HEADLINE_1 = "Route 9 bridge collapses into Marrow River in Eastbrook; vehicles in water"
BRIDGE_HEADLINE_2 = "At least 4 dead after Eastbrook bridge collapse sends cars into Marrow River"
BRIDGE_HEADLINE_3 = "Eastbrook bridge collapse: 6 dead, 11 missing as divers search the Marrow River"
BRIDGE_VIDEO = "Video shows the moment the bridge collapsed."
BRIDGE_VIDEO_EDITED = "Video posted by a passing driver shows the moment the bridge's central span collapsed."
BRIDGE_1 = (
    "EASTBROOK — A section of the Route 9 bridge over the Marrow River collapsed shortly after 7:40 a.m. Monday, sending at least three vehicles into the water, police said.",
    "Emergency crews from Eastbrook and neighboring Halvern County were at the scene, and a rescue boat was searching the river below the span.",
    "Police asked drivers to avoid the area. Route 9 is closed in both directions between Mill Street and the Orchard Road interchange.",
    "It was not immediately clear how many people were hurt.",
    "This is a developing story and will be updated.",
)
BRIDGE_2 = (
    "EASTBROOK — At least four people were killed Monday morning when the central span of the Route 9 bridge gave way during rush hour and dropped more than 60 feet into the Marrow River, officials said.",
    "Halvern County Sheriff Linda Okafor said divers had recovered four bodies by early afternoon and that rescuers had pulled five people from the water alive. Two of them were in critical condition at St. Anne's Medical Center.",
    '"This is the worst day this community has had in a very long time," Okafor said at a news conference on the riverbank.',
    BRIDGE_VIDEO,
    "The collapse happened at about 7:42 a.m., when traffic on the four-lane bridge was heavy with commuters heading toward the city. Witnesses said they heard a loud crack before the roadway tilted and fell.",
    '"The car in front of me was just gone," said Carla Mendes, 34, who stopped her pickup truck a few yards from the edge. "I put it in reverse and I didn\'t stop shaking for an hour."',
    "Officials did not say how many vehicles were on the span when it fell. Sheriff's deputies said at least seven cars and a delivery van were in the river.",
    "The bridge, which carries about 38,000 vehicles a day, was last inspected in June, according to the state Department of Transportation.",
    "A department spokesperson, Rebecca Thorne, said the inspection rated the bridge's deck in fair condition and found no problems that required it to be closed.",
    "Gov. Martin Hale said he had ordered flags lowered to half-staff and that state engineers would begin an independent review of the structure on Tuesday.",
    '"We will find out what happened here, and we will find out why," Hale said in a statement.',
    "The National Transportation Safety Board said it was sending a team of investigators, who were expected to arrive Monday night.",
    "Route 9 will remain closed indefinitely. Eastbrook police said detours through Orchard Road and the Mill Street bridge would add up to 40 minutes to some commutes.",
    "Eastbrook schools dismissed students early, and the city opened a family assistance center at the Pine Street community center for relatives seeking information.",
    "The American Red Cross said it was sending volunteers and supplies to the area.",
    "The names of the dead had not been released Monday afternoon.",
)
BRIDGE_3 = (
    "EASTBROOK — Divers searching the Marrow River recovered two more bodies Tuesday, raising the death toll from the collapse of the Route 9 bridge to six, as officials said 11 people were still unaccounted for.",
    "The central span of the bridge gave way at about 7:42 a.m. Monday, at the height of the morning commute, dropping vehicles more than 60 feet into the river.",
    '"We are still in a rescue posture, but I have to be honest with the families: the chances are getting smaller with every hour," Halvern County Sheriff Linda Okafor said at a briefing Tuesday morning.',
    BRIDGE_VIDEO_EDITED,
    "Five people were pulled from the water alive on Monday. Two remained in critical condition at St. Anne's Medical Center on Tuesday, a hospital spokesperson said.",
    "The dead included a school bus driver on her way to pick up students, a retired firefighter and a 19-year-old college student, according to relatives and local officials.",
    "The county coroner's office said it would not release names until all families had been notified.",
    "Searchers worked through the night under floodlights. Dive teams from three counties and the state police took turns in the river, where the current was strong after a week of rain.",
    '"The visibility down there is less than a foot," said Capt. Andre Willis of the Eastbrook Fire Department. "Our divers are working by touch."',
    "Cranes were brought in overnight to begin lifting sections of the fallen deck, but officials said they would move slowly to avoid disturbing vehicles that might still hold victims.",
    "Witnesses described a loud crack, then a groan of metal, before the roadway tilted toward the water.",
    '"The car in front of me was just gone," said Carla Mendes, 34, who stopped her pickup truck a few yards from the edge. "I put it in reverse and I didn\'t stop shaking for an hour."',
    "The bridge was built in 1961 and widened to four lanes in 1989. It carries about 38,000 vehicles a day and is the main link between Eastbrook and the towns on the river's east bank.",
    "State records show the bridge was last inspected in June, when engineers rated its deck in fair condition and its supporting structure as satisfactory.",
    "The same inspection noted corrosion on two steel bearings under the central span and recommended that they be replaced within two years, according to a copy of the report obtained by KXYZ News.",
    "A Department of Transportation spokesperson, Rebecca Thorne, said the bearing replacement had been scheduled for next spring. She said it was too early to say whether the corrosion played any role in the collapse.",
    '"Nothing in that report suggested the bridge was at risk of imminent failure," Thorne said. "If it had, the bridge would have been closed."',
    "The National Transportation Safety Board took charge of the investigation Tuesday. Its team, led by investigator Miriam Cho, began documenting the wreckage from boats and drones.",
    "Cho told reporters that investigators would examine the design of the bridge, its maintenance history, the weather and the traffic load at the time of the collapse.",
    '"We are not going to speculate," Cho said. "We will follow the evidence."',
    "A preliminary report is expected within 30 days, she said, but a final determination of the cause could take a year or more.",
    "Gov. Martin Hale visited the site Tuesday and met with families at the assistance center at the Pine Street community center.",
    "He said he had ordered an immediate inspection of every bridge in the state built to the same design, about 40 in all.",
    '"Every parent who drives a child over a bridge this week is going to be thinking about this," Hale said. "They deserve to know those bridges are safe."',
    "Two bridges of the same design, in Coldwater and Granger Falls, were closed Tuesday as a precaution.",
    "The collapse has renewed questions about the condition of the state's bridges. A report last year by the state auditor found that about one in nine bridges was rated in poor condition, above the national average.",
    "State Sen. Paula Reyes, who chairs the transportation committee, said she would call hearings on the inspection program when the legislature returns in January.",
    '"We have known for years that we were putting off maintenance we could not afford to put off," Reyes said.',
    "Route 9 will remain closed indefinitely. Detours through Orchard Road and the Mill Street bridge were adding up to 40 minutes to some commutes on Tuesday, and traffic backed up for miles on Interstate 84.",
    "The Eastbrook Transit Authority added buses on its river routes and said it would run extra trains on the Halvern line through the end of the week.",
    "Eastbrook schools were closed Tuesday. Superintendent Gloria Pham said counselors would be available when classes resume Wednesday.",
    "At the family assistance center, relatives waited for news through the night. Some brought photographs of the missing; others sat silently with Red Cross volunteers.",
    '"My brother crosses that bridge every morning at the same time," said Luis Ferreira, 41, who had not heard from his brother since Monday morning. "His phone goes straight to voicemail."',
    "Churches across the city held vigils Monday night, and hundreds of people gathered on the west bank of the river, where the bridge once met Mill Street.",
    "Businesses on the east bank said they were already feeling the loss of the crossing. At the Riverside Diner, owner Tom Kessler said half his breakfast customers had not come in.",
    '"This town grew up around that bridge," Kessler said. "Everybody has a story about it."',
    "The American Red Cross said it had set up a shelter for people unable to get home and was collecting blood donations at three sites.",
    "A fund for victims' families set up by the Eastbrook Community Foundation had raised more than $400,000 by Tuesday afternoon, the foundation said.",
    "Officials asked anyone with photos or video of the collapse to send them to the safety board's investigators.",
)
BRIDGE_CORRECTION = "Correction: An earlier version of this story misstated the year the Route 9 bridge was built. It opened in 1964, not 1961."

# -- a storm: 8 paragraphs, 2 added, then a longer piece of 23 under a new headline ----------

STORM_HEADLINE_1 = "Overnight storm knocks out power to 200,000 across the valley"
STORM_HEADLINE_2 = "Two dead, 180,000 still in the dark as the valley cleans up after tornado outbreak"
STORM_1 = (
    "More than 200,000 homes and businesses across the valley were without power Wednesday morning after a line of severe thunderstorms brought winds of up to 70 mph overnight, utilities said.",
    "Valley Electric Cooperative said about 140,000 of its customers had lost power, most of them in Carver and Dunmore counties. Northern Plains Power reported another 60,000 outages.",
    "The National Weather Service said the storms moved through between 1 a.m. and 4 a.m., toppling trees and power lines and tearing roofs from several buildings.",
    "A spokesperson for Valley Electric, Janelle Brooks, said crews had been called in from three neighboring states but warned that some customers could be without power until the weekend.",
    '"This is one of the most damaging storms we\'ve seen in a decade," Brooks said.',
    "Dozens of roads were closed by fallen trees, and several school districts canceled classes for the day.",
    "The weather service said a tornado may have touched down near the town of Larkin, where a barn and two homes were damaged.",
    "No injuries were immediately reported.",
)
STORM_ADDED = (
    "In Carver, the county emergency management office opened a cooling center at the high school for residents without power, many of them elderly.",
    "Officials warned residents to stay away from downed lines and to run generators only outdoors, after two people were treated for carbon monoxide poisoning in Dunmore County.",
)
STORM_QUOTE = '"But people who think we have forgotten them are simply wrong, and the abuse our workers are getting on the side of the road is disgraceful."'
STORM_QUOTE_SOFTENED = (
    '"We know how hard this is, and we ask people to give our workers room to do their jobs safely."'
)
STORM_2 = (
    "CARVER — Two people were killed and more than 180,000 homes and businesses remained without power Thursday as the valley began cleaning up from a night of storms that the National Weather Service now says produced at least four tornadoes.",
    "A 67-year-old man died when a tree fell on his home outside Larkin, and a 23-year-old woman was killed when her car struck a downed utility pole on State Road 12 in Dunmore County, sheriff's officials said.",
    "Weather service teams confirmed four tornadoes Thursday, the strongest an EF-2 with winds of about 125 mph that carved a seven-mile path from Larkin to the edge of Carver.",
    '"It sounded like a freight train was coming through the living room," said Dolores Whitaker, 58, who rode out the storm with her two grandchildren in a hallway closet. "When it was over, the back half of the house was in the yard."',
    "The tornado destroyed at least 14 homes and damaged more than 100 others, county emergency managers said. A hardware store and a volunteer fire station in Larkin were flattened.",
    "Valley Electric Cooperative said about 130,000 of its customers were still without power Thursday afternoon, down from a peak of 145,000. Northern Plains Power reported about 50,000 outages.",
    "The cooperative said more than 900 line workers, including crews from three neighboring states, were replacing some 600 broken poles.",
    "Utility officials said most customers should have power back by Sunday, but that some homes in the hardest-hit areas could wait until the middle of next week.",
    "Janelle Brooks, a spokesperson for Valley Electric, asked customers for patience.",
    f'"Our crews are working 16-hour shifts, and we will not stop until every light is back on," Brooks said. {STORM_QUOTE}',
    "Gov. Martin Hale declared a state of emergency for Carver, Dunmore and Wells counties, freeing state money for debris removal and allowing National Guard troops to help with the cleanup.",
    '"The damage I saw from the air this morning is heartbreaking," Hale said after touring the area by helicopter.',
    "In Carver, the emergency management office kept its cooling center at the high school open for a second day and opened another at the First Baptist Church on Main Street.",
    "Temperatures were forecast to reach the low 90s through the weekend, raising concern for older residents without air conditioning.",
    "Officials repeated warnings to run generators only outdoors. Five people have been treated for carbon monoxide poisoning in Dunmore County since Wednesday, a hospital spokesperson said.",
    "Several school districts, including Carver County Schools, said they would stay closed through Friday.",
    "The storms were part of a line that formed over the plains Tuesday evening and raced east at more than 50 mph, meteorologists said.",
    '"The atmosphere was primed for this," said Kevin Osei, a meteorologist with the weather service office in Harlan. "We had heat, humidity and a strong jet stream overhead."',
    "The weather service said it had issued a tornado warning for Larkin 17 minutes before the tornado struck, and that sirens sounded in the town.",
    "Residents in some rural areas said they had not heard the sirens and learned of the warning from alerts on their phones.",
    "The American Red Cross opened a shelter at the Dunmore County fairgrounds, where about 60 people spent Wednesday night.",
    "Volunteers from across the region arrived Thursday with chainsaws and trucks, clearing driveways and hauling debris to the curb.",
    "Residents who need help can call the county's storm hotline at 555-0142.",
)
STORM_NOTE = "Editor's note: This story has been updated to include the second confirmed death and the weather service's tornado survey."

# -- a council vote: quotes reordered and softened, a byline added, notes appended -----------

COUNCIL_HEADLINE = "Westfield council approves budget that closes two library branches"
COUNCIL_QUOTE = '"It is a disgrace."'
COUNCIL_QUOTE_SOFTENED = '"I cannot support it."'
COUNCIL = (
    "WESTFIELD — The City Council on Monday approved a $412 million budget for next year that closes two branch libraries and delays the hiring of 20 police officers, ending a months-long fight over how to close a $31 million shortfall.",
    "The budget passed after nearly five hours of public comment, during which dozens of residents urged the council to keep the Elm Park and Southgate branches open.",
    "On Monday the council voted 7-2 to approve the plan.",
    f'"This budget is a betrayal of every child in this city who depends on a library to do homework," said council member Rosa Delgado, who voted no. {COUNCIL_QUOTE}',
    "Mayor Kevin Ashford, who proposed the closures in August, said the city had no good options after sales tax revenue fell short of projections for a second year.",
    '"Nobody up here wanted to close a library," Ashford said after the vote. "But I was not going to balance this budget by cutting firefighters."',
    'Council member Daniel Price, who voted yes, said he would push to reopen the branches if revenue improves. "This is not the end of the conversation," he said.',
    "The Elm Park and Southgate branches will close on Jan. 31. Their collections will move to the main library downtown, and the city plans to run a bookmobile to both neighborhoods twice a week.",
    "The budget also raises fees for parking downtown and for the city's recreation programs, and freezes pay for nonunion city employees.",
    "The library workers' union said about 14 positions would be eliminated, though some employees could transfer to other branches.",
)
COUNCIL_NOTE = "Editor's note: An earlier version of this story did not say that the budget freezes pay for nonunion city employees."

# -- a court ruling: paragraphs split and merged, a sentence moved, a date corrected ----------

COURT_HEADLINE = "Appeals court halts Ridgeway quarry expansion over drinking water concerns"
COURT_SPLIT_AT = "Judge Harriet Coleman"
COURT_SPLIT_2_AT = "A new review"
COURT_MOVED_SENTENCE = "Several families said they had been buying bottled water for more than a year."
COURT = (
    "RIDGEWAY — A state appeals court on Tuesday blocked the expansion of a limestone quarry outside Ridgeway, ruling that regulators failed to consider how blasting could affect the wells that supply drinking water to hundreds of nearby homes.",
    'The three-judge panel sent the permit back to the Department of Environmental Quality for a new review. Judge Harriet Coleman, writing for the court, said the agency had relied on a groundwater study that was more than a decade old and did not account for the quarry\'s plan to dig 80 feet deeper. "An agency cannot approve a project of this scale on the strength of data collected for a different one," Coleman wrote.',
    "The quarry's owner, Keystone Aggregates, had sought to expand the 240-acre site by about 90 acres and to double its annual output.",
    f"Residents of the Hollow Creek neighborhood, who brought the challenge, said blasting at the quarry had already cracked foundations and clouded their well water. {COURT_MOVED_SENTENCE}",
    '"We are not against jobs," said Martha Quinlan, who has lived in Hollow Creek for 31 years. "We are against losing our water."',
    "Keystone said in a statement that it was disappointed by the ruling and was reviewing its options, including an appeal to the state Supreme Court.",
    "The company has said the expansion would add 40 jobs to the 120 people it employs at the site.",
    "A lower court ruled against the residents on March 12.",
    "The Department of Environmental Quality said it would comply with the ruling. A new review, including an updated groundwater study, is expected to take at least a year, a department spokesperson said, and blasting in the existing quarry can continue in the meantime.",
    "Ridgeway's mayor, Carl Benning, said the town would keep pressing the state for independent testing of the wells.",
)

# -- a company's job cuts: the headline A/B tested, a short market line edited --------------

FOODS_HEADLINE_A = "Harborline Foods to cut 1,200 jobs and close two plants"
FOODS_HEADLINE_B = "Harborline Foods will close plants in Dover and Milltown, cutting 1,200 jobs"
FOODS = (
    "Harborline Foods said Wednesday it would cut about 1,200 jobs and close processing plants in Dover and Milltown next year, as the frozen-food maker struggles with rising costs and slowing sales.",
    "The company said the closures, which will affect about 8% of its workforce, are part of a plan to save $150 million a year by 2028.",
    "Shares fell 3% in early trading.",
    'Chief executive Angela Ruiz said in a statement that the decision was painful but necessary. "We have to build a company that can compete for the next 50 years," she said.',
    "The Dover plant, which makes frozen pizzas, employs about 700 people. The Milltown plant, which packages vegetables, employs about 500.",
    "Harborline said affected workers would receive severance and help finding new jobs, and that some would be offered positions at its plants in Ohio and Georgia.",
    "The United Food and Commercial Workers union, which represents workers at both plants, said it had not been consulted and would seek to negotiate over the closures.",
    "Harborline reported a 4% drop in sales in its most recent quarter, citing shoppers who have switched to cheaper store brands.",
)

# -- a gallery reopens: accents and curly quotes, served as Latin-1 under a UTF-8 header ------

GALLERY_HEADLINE = "José Álvarez’s gallery reopens in Zürich after two-year restoration"
GALLERY_QUOTE = "“The old roof was a catastrophe waiting to happen.”"
GALLERY_QUOTE_SOFTENED = "“The old roof needed a great deal of care.”"
GALLERY = (
    "ZÜRICH — The Galerie Álvarez, the small museum that the Spanish painter José Álvarez founded in an old textile mill on the Limmat, reopened on Saturday after a two-year restoration that cost 14 million francs.",
    "Álvarez, who moved to Zürich in 1987 and died in 2019, left the building and about 300 of his works to the city on the condition that they be shown together.",
    f"“It is the house he built for his paintings, and now it can breathe again,” said the museum’s director, Chloé Marchetti. {GALLERY_QUOTE}",
    "The restoration replaced the mill’s leaking roof, added climate control to the upper galleries and uncovered a mural Álvarez painted on a stairwell wall in the 1990s, which had been hidden under plaster.",
    "About 4,000 visitors came through the doors on the first day, the museum said, some waiting more than an hour in the rain.",
    "Entry is free until the end of the year.",
)
GALLERY_ADDED = "Among them was Álvarez’s daughter, Mercè, who flew in from Barcelona for the opening. “My father would have hated the queue and loved the crowd,” she said."
GALLERY_CORRECTION = "Correction: An earlier version of this story gave the wrong year for José Álvarez’s move to Zürich. He moved there in 1978."

# -- a bank scam warning: a byline added, a statistic edited, quotes reordered --------------

SCAM_HEADLINE = "Police warn of text-message scam targeting Granite Bank customers"
SCAM = (
    "RIVERTON — Police are warning residents about a text-message scam in which fraudsters pose as Granite Bank and ask customers to confirm their account details through a link.",
    "The department said it had received more than 60 reports since Tuesday from people who got messages saying their debit cards had been locked.",
    'Detective Sgt. Amy Larkin said the link leads to a convincing copy of the bank\'s login page. "Once you type in your password, they have everything they need," she said.',
    "Credit card fraud rose 14% in the state last year, according to the attorney general's office.",
    '"We will never ask for your password or PIN by text message," Granite Bank said in a statement. "If you receive one of these messages, delete it."',
    "At least nine people have lost money, police said, including a Riverton woman who was tricked into sharing a one-time code and lost $4,800 from her savings account.",
    "Police said residents who clicked the link should call their bank immediately and change their passwords.",
    "The scam is similar to one that circulated in neighboring Ashby County in the spring, Larkin said.",
    '"These messages look real, and that is the whole point," Larkin said. "If you are in any doubt, hang up and call the number on the back of your card."',
)
SCAM_ADDED = (
    "Granite Bank said it had blocked the web addresses used in the scam and was working with phone companies to stop the messages.",
    "Customers can report suspicious messages by forwarding them to 7726, the number mobile carriers use to collect spam reports.",
)
SCAM_CORRECTION = "Correction: An earlier version of this story said the first reports came in on Tuesday. They began on Monday."
